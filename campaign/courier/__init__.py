"""Handing finished messages to the mail server (SMTP or an outbox folder): the transport
shared by single mails (campaign.mail) and distributions, which import it and not each
other."""
