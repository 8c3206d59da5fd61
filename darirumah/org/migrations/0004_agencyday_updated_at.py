import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """AgencyDay.updated_at: the check-in's cached calendar is rebuilt when a day changes.
    Existing rows (and their history) get the time of the migration."""

    dependencies = [
        ("org", "0003_employee_criteria"),
    ]

    operations = [
        migrations.AddField(
            model_name="agencyday",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AddField(
            model_name="historicalagencyday",
            name="updated_at",
            field=models.DateTimeField(
                blank=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="updated at",
            ),
            preserve_default=False,
        ),
    ]
