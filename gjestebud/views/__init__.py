"""Blueprints, one per audience: public (guests), host, staff, health."""

from flask import Response


def download(body, mimetype: str, filename: str) -> Response:
    """A file to save (CSV, XLSX, …) rather than to show."""
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
