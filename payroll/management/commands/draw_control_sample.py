from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from organisation.models import Unit
from payroll.models import ControlSample
from payroll.services import draw_control_sample, repeat_draw


class Command(BaseCommand):
    help = (
        "Draw a random sample of completed payroll cases of a period for internal control, "
        "or repeat an earlier draw (--repeat) to show that its seed picks the same cases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", help="pay period YYYY-MM")
        parser.add_argument("--size", type=int, default=25)
        parser.add_argument("--seed", type=int, help="repeat a draw: the earlier sample's seed")
        parser.add_argument("--unit", help="unit code; default every unit")
        parser.add_argument("--user", help="who draws (user name)")
        parser.add_argument("--note", default="")
        parser.add_argument("--repeat", type=int, metavar="SAMPLE_ID", help="check that a sample can be repeated")

    def handle(self, *args, **options):
        if options["repeat"]:
            return self._repeat(options["repeat"])
        if not options["period"] or not options["user"]:
            raise CommandError("--period and --user are required to draw a sample.")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No such user: {options['user']}")
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"No such unit: {options['unit']}")
        try:
            sample = draw_control_sample(
                user=user,
                period=options["period"],
                size=options["size"],
                seed=options["seed"],
                unit=unit,
                note=options["note"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except PermissionDenied as error:
            raise CommandError(f"{user} may not draw samples of that unit.") from error
        self.stdout.write(
            f"Sample {sample.pk}: {sample.checks.count()} of {sample.population} completed cases of "
            f"{sample.period}, seed {sample.seed}"
        )
        for case_id in sample.checks.order_by("case_id").values_list("case_id", flat=True):
            self.stdout.write(f"  case {case_id}")

    def _repeat(self, sample_id: int):
        sample = ControlSample.objects.filter(pk=sample_id).first()
        if sample is None:
            raise CommandError(f"No such sample: {sample_id}")
        if repeat_draw(sample):
            self.stdout.write(
                self.style.SUCCESS(f"Sample {sample.pk} (seed {sample.seed}) draws the same cases again.")
            )
        else:
            raise CommandError(f"Sample {sample.pk} draws other cases now: the period's completed cases have changed.")
