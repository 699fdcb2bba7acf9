"""The organization's own profile: name, address, logo, colours, sender and public address.

Admins edit it in the web UI; an environment variable for the same setting still wins, so a
deployment can pin a value the UI cannot change.
"""
