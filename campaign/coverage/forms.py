"""Forms of the coverage pages (all Flask-WTF, so every POST carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from campaign import clock
from campaign.coverage.services import ItemFields


class UrlForm(FlaskForm):
    url = StringField("Article URL", validators=[DataRequired(), Length(max=2000)])


class ItemForm(FlaskForm):
    """The fields staff confirm or correct (and type, for an item added by hand)."""

    url = StringField("URL", validators=[DataRequired(), Length(max=2000)])
    outlet = StringField("Outlet", validators=[Optional(), Length(max=200)])
    headline = StringField("Headline", validators=[Optional(), Length(max=500)])
    author = StringField("Author", validators=[Optional(), Length(max=200)])
    published_on = DateField("Publication date", validators=[Optional()])
    language = StringField("Language", validators=[Optional(), Length(max=16)])
    region = StringField("Region", validators=[Optional(), Length(max=120)])
    excerpt = TextAreaField("Excerpt", validators=[Optional(), Length(max=5000)])

    def to_fields(self) -> ItemFields:
        return ItemFields(
            url=self.url.data or "",
            outlet=(self.outlet.data or "").strip(),
            headline=(self.headline.data or "").strip(),
            author=(self.author.data or "").strip(),
            published_on=self.published_on.data,
            excerpt=(self.excerpt.data or "").strip(),
            language=(self.language.data or "").strip(),
            region=(self.region.data or "").strip(),
        )


class ManualItemForm(ItemForm):
    text = TextAreaField(
        "Article text (optional, to find the passages it quotes)",
        validators=[Optional(), Length(max=200_000)],
    )


class ImportForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired()])


class FeedForm(FlaskForm):
    url = StringField("Feed URL (RSS or Atom)", validators=[DataRequired(), Length(max=2000)])
    title = StringField("Name", validators=[Optional(), Length(max=300)])


class PublicForm(FlaskForm):
    public = HiddenField()


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""


class NoteForm(FlaskForm):
    noted_on = DateField("Date", validators=[DataRequired()], default=lambda: clock.now().date())
    text = TextAreaField("Note", validators=[DataRequired(), Length(max=2000)])
