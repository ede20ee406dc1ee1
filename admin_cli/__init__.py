"""admin_cli."""
