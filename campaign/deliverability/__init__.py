"""The deliverability page: the sender domain's SPF, DKIM and DMARC records, in plain words."""
