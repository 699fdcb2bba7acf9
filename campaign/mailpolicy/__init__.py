"""Who may be emailed, and why not: the one policy every kind of mail asks (sign-on
confirmations, review invitations, deliveries, recruitment, notifications, distributions),
and the suppression list it keeps. Depends on no feature that sends mail."""
