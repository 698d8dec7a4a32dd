"""The pydantic models returned by the query functions (defined in ``umami_core.models``)."""

from umami_core.models import LoginResponse, User, Website, WebsitesResponse, WebsiteStats, WebsiteStatsCmp, WebsiteUser

__all__ = ["LoginResponse", "User", "Website", "WebsiteStats", "WebsiteStatsCmp", "WebsiteUser", "WebsitesResponse"]
