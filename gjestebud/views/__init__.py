"""Blueprints, one per audience: public (guests), host, staff, health."""

from flask import Response, abort
from flask_login import current_user

from ..models import Campaign
from ..services.overview import campaign_in_organisation


def download(body, mimetype: str, filename: str) -> Response:
    """A file to save (CSV, XLSX, …) rather than to show."""
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def own_campaign(campaign_id: int) -> Campaign:
    """The campaign if it is in the signed-in user's organisation; 404 for everything else."""
    campaign = campaign_in_organisation(current_user.organisation_id, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


def png_response(png: bytes, cache_control: str) -> Response:
    """An image to show, cached by the browser as `cache_control` says."""
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = cache_control
    return response
