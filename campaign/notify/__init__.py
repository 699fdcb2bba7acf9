"""Notifications: what happened that a staff member should know, in the app and by email."""
