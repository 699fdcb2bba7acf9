"""one enum column type with CHECK constraints, counters >= 0, hot-query indexes

Every enum column now stores its values (users.role and outgoing_mail.status stored member
names, and the initial migration's mail status list lacked 'skipped' and 'unconfirmed') under
a CHECK constraint naming them; counters get `>= 0` checks, a coverage match a non-empty
span and a review link a validity window. Signatures get the indexes of their hot queries
(by statement and status; the reconfirmation sweep) and cached PDFs one by version;
single-column indexes that lead a unique constraint's index are dropped.

Revision ID: 8b1f4c2d9e70
Revises: 3c9d2e7f4a61
Create Date: 2026-12-02

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '8b1f4c2d9e70'
down_revision = '3c9d2e7f4a61'
branch_labels = None
depends_on = None

# Columns that held the enum member's name ("PRESS_OFFICER") rather than its value.
STORED_BY_NAME = {'users': 'role', 'outgoing_mail': 'status'}

CHECKS = {
    'cached_pdfs': [
        ('ck_cached_pdfs_size_not_negative', 'size >= 0'),
    ],
    'contact_import_jobs': [
        ('ck_contact_import_jobs_rows_done_not_negative', 'rows_done >= 0'),
        ('ck_contact_import_jobs_rows_total_not_negative', 'rows_total >= 0'),
        ('ck_contact_import_jobs_importjobkind', "kind IN ('check', 'commit')"),
        ('ck_contact_import_jobs_jobstatus', "status IN ('queued', 'running', 'done', 'failed')"),
    ],
    'contact_lists': [
        ('ck_contact_lists_listkind', "kind IN ('static', 'filter')"),
    ],
    'coverage_items': [
        (
            'ck_coverage_items_coveragestatus',
            "status IN ('fetching', 'candidate', 'confirmed', 'dismissed', 'failed')",
        ),
        ('ck_coverage_items_coveragesource', "source IN ('url', 'manual', 'csv', 'feed')"),
    ],
    'coverage_matches': [
        ('ck_coverage_matches_span', 'start >= 0 AND "end" > start'),
    ],
    'deliveries': [
        ('ck_deliveries_signatory_count_not_negative', 'signatory_count >= 0'),
        ('ck_deliveries_deliverytrigger', '"trigger" IN (\'manual\', \'deadline\')'),
        ('ck_deliveries_deliverystatus', "status IN ('preparing', 'sending', 'failed')"),
    ],
    'distribution_documents': [
        ('ck_distribution_documents_size_not_negative', 'size >= 0'),
    ],
    'distribution_recipients': [
        ('ck_distribution_recipients_attempts_not_negative', 'attempts >= 0'),
        ('ck_distribution_recipients_retried_not_negative', 'retried >= 0'),
        (
            'ck_distribution_recipients_recipientstatus',
            "status IN ('queued', 'sending', 'sent', 'failed', 'skipped', 'unconfirmed', 'bounced')",
        ),
    ],
    'distributions': [
        ('ck_distributions_rate_per_minute_not_negative', 'rate_per_minute >= 0'),
        ('ck_distributions_connection_failures_not_negative', 'connection_failures >= 0'),
        ('ck_distributions_failures_in_row_not_negative', 'failures_in_row >= 0'),
        ('ck_distributions_retry_rounds_not_negative', 'retry_rounds >= 0'),
        ('ck_distributions_greetingstyle', "greeting_style IN ('full_name', 'first_name', 'none')"),
        ('ck_distributions_sendmode', "send_mode IN ('now', 'chosen_time', 'embargo_lift')"),
        (
            'ck_distributions_distributionstatus',
            "status IN ('scheduled', 'sending', 'paused', 'cancelled', 'finished')",
        ),
    ],
    'embargo_publications': [
        ('ck_embargo_publications_publicationmode', "mode IN ('at_lift', 'lifted_early')"),
        (
            'ck_embargo_publications_publicationstatus',
            "status IN ('scheduled', 'done', 'cancelled')",
        ),
    ],
    'invitations': [
        ('ck_invitations_reminders_sent_not_negative', 'reminders_sent >= 0'),
        (
            'ck_invitations_invitationstatus',
            "status IN ('invited', 'opened', 'signed', 'declined')",
        ),
    ],
    'organizations': [
        (
            'ck_organizations_orgtype',
            "org_type IN ('nonprofit', 'advocacy', 'service_provider', 'faith', 'labor', 'professional', 'academic', 'business', 'other')",
        ),
        ('ck_organizations_scope', "scope IN ('national', 'state_local', 'international')"),
    ],
    'outgoing_mail': [
        ('ck_outgoing_mail_attempts_not_negative', 'attempts >= 0'),
        (
            'ck_outgoing_mail_mailstatus',
            "status IN ('queued', 'sending', 'sent', 'failed', 'skipped', 'unconfirmed')",
        ),
    ],
    'pdf_jobs': [
        ('ck_pdf_jobs_steps_done_not_negative', 'steps_done >= 0'),
        ('ck_pdf_jobs_steps_total_not_negative', 'steps_total >= 0'),
        ('ck_pdf_jobs_size_not_negative', 'size >= 0'),
        ('ck_pdf_jobs_pdfjobkind', "kind IN ('letter', 'versions_zip')"),
        ('ck_pdf_jobs_jobstatus', "status IN ('queued', 'running', 'done', 'failed')"),
    ],
    'review_links': [
        ('ck_review_links_valid_window', 'expires_at > created_at'),
    ],
    'signatures': [
        ('ck_signatures_duplicate_attempts_not_negative', 'duplicate_attempts >= 0'),
        ('ck_signatures_signerkind', "kind IN ('organization', 'individual')"),
        (
            'ck_signatures_orgtype',
            "org_type IN ('nonprofit', 'advocacy', 'service_provider', 'faith', 'labor', 'professional', 'academic', 'business', 'other')",
        ),
        ('ck_signatures_scope', "scope IN ('national', 'state_local', 'international')"),
        (
            'ck_signatures_signaturestatus',
            "status IN ('pending', 'confirmed', 'approved', 'rejected', 'withdrawn')",
        ),
    ],
    'signon_questions': [
        ('ck_signon_questions_questionkind', "kind IN ('text', 'choice', 'checkbox')"),
    ],
    'signon_settings': [
        ('ck_signon_settings_min_count_to_show_not_negative', 'min_count_to_show >= 0'),
        (
            'ck_signon_settings_grouping',
            "grouping IN ('none', 'scope', 'org_type', 'country', 'region')",
        ),
        ('ck_signon_settings_signers', "signers IN ('organizations', 'individuals', 'both')"),
    ],
    'statement_versions': [
        ('ck_statement_versions_word_count_not_negative', 'word_count >= 0'),
        ('ck_statement_versions_releasetype', "release_type IN ('immediate', 'embargoed')"),
    ],
    'statements': [
        ('ck_statements_kind', "kind IN ('coalition_letter', 'press_release', 'statement')"),
        (
            'ck_statements_status',
            "status IN ('draft', 'in_review', 'approved', 'published', 'retracted')",
        ),
    ],
    'suppressed_addresses': [
        (
            'ck_suppressed_addresses_suppressionsource',
            "source IN ('smtp', 'bounce', 'complaint', 'manual', 'import')",
        ),
    ],
    'users': [
        ('ck_users_role', "role IN ('admin', 'editor', 'approver', 'press_officer', 'viewer')"),
    ],
}
REDUNDANT_INDEXES = {
    'coverage_feeds': ('ix_coverage_feeds_campaign_id', 'campaign_id'),
    'coverage_items': ('ix_coverage_items_campaign_id', 'campaign_id'),
    'deliveries': ('ix_deliveries_statement_id', 'statement_id'),
    'delivery_recipients': ('ix_delivery_recipients_delivery_id', 'delivery_id'),
    'delivery_targets': ('ix_delivery_targets_statement_id', 'statement_id'),
    'domain_verifications': ('ix_domain_verifications_domain', 'domain'),
    'invitations': ('ix_invitations_statement_id', 'statement_id'),
    'review_invitees': ('ix_review_invitees_link_id', 'link_id'),
    'signatures': ('ix_signatures_statement_id', 'statement_id'),
    'signed_roots': ('ix_signed_roots_statement_id', 'statement_id'),
    'statement_partners': ('ix_statement_partners_statement_id', 'statement_id'),
    'statement_versions': ('ix_statement_versions_statement_id', 'statement_id'),
}
NEW_INDEXES = {
    'cached_pdfs': [('ix_cached_pdfs_version_id', ['version_id'])],
    'signatures': [('ix_signatures_statement_status', ['statement_id', 'status']), ('ix_signatures_reconfirm_due', ['reconfirm_version_id', 'reconfirm_requested_at'])],
}


def _tables():
    return sorted(set(CHECKS) | set(REDUNDANT_INDEXES) | set(NEW_INDEXES))


def upgrade():
    for table, column in STORED_BY_NAME.items():
        op.execute(f'UPDATE {table} SET {column} = lower({column})')
    for table in _tables():
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in REDUNDANT_INDEXES:
                batch_op.drop_index(REDUNDANT_INDEXES[table][0])
            for name, columns in NEW_INDEXES.get(table, []):
                batch_op.create_index(name, columns, unique=False)
            for name, condition in CHECKS.get(table, []):
                batch_op.create_check_constraint(op.f(name), condition)


def downgrade():
    for table in reversed(_tables()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _ in CHECKS.get(table, []):
                batch_op.drop_constraint(op.f(name), type_='check')
            for name, _ in NEW_INDEXES.get(table, []):
                batch_op.drop_index(name)
            if table in REDUNDANT_INDEXES:
                name, column = REDUNDANT_INDEXES[table]
                batch_op.create_index(name, [column], unique=False)
    for table, column in STORED_BY_NAME.items():
        op.execute(f'UPDATE {table} SET {column} = upper({column})')
