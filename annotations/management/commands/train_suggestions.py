from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from annotations import roles, services


class Command(BaseCommand):
    help = (
        "Train the suggested-claims model on the desk's labels now (claims are positives; the "
        "other sentences of articles with claims and dismissed suggestions are negatives) and "
        "store it; --report prints the cross-validated figures beside the cue heuristic's."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--report", action="store_true", help="print the cross-validated figures"
        )

    def handle(self, *args, report: bool, **options):
        try:
            model = services.suggestions_train(actor=roles.SYSTEM)
        except services.CannotTrain as refused:
            raise CommandError(str(refused)) from None
        serving = "serves" if model.serves else "does not serve (the heuristic measured better)"
        self.stdout.write(
            f"Model {model.pk}: {model.training_size} sentences ({model.positives} marked) "
            f"from {model.articles} articles in {model.training_seconds:.1f} s; {serving}."
        )
        if not report:
            return
        share = f"top {settings.SUGGESTIONS_TOP_SHARE:.0%} of each article flagged"
        self.stdout.write(f"Cross-validated by article ({share}):")
        if model.cv_f1 is None:
            self.stdout.write("  too few articles or marks to cross-validate")
        else:
            self.stdout.write(
                f"  learned model   F1 {model.cv_f1:.3f}  AP {model.cv_average_precision:.3f}"
            )
        self.stdout.write(f"  cue heuristic   F1 {model.heuristic_cv_f1:.3f}")
        self.stdout.write(
            f"Labels: {model.claims} claims, {model.dismissals} dismissed suggestions."
        )
