"""State changes live here; views and the CLI call them and commit at the edge."""
