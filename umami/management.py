"""The models of the management answers (defined in ``umami_core.management``): user accounts, teams
and their members, share links, who you are, and websites."""

from umami_core.management import Account, Me, MemberUser, ShareLink, Team, TeamCounts, TeamMember, Website

__all__ = ["Account", "Me", "MemberUser", "ShareLink", "Team", "TeamCounts", "TeamMember", "Website"]
