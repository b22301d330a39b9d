"""peaceops: the code behind the open course on military alliances in peacekeeping missions."""

__version__ = "0.1.0"
