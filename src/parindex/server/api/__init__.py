"""The REST API under /api/v1 for devices and integrations."""
