"""Forms: one FlaskForm per form, grouped by audience."""
