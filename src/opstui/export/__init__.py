"""Writing a review week out of the app (Markdown)."""
