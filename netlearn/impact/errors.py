from netlearn.core.errors import NetlearnError


class ImpactError(NetlearnError):
    """A rule of the impact app refused the change. The message is written for the person."""


class ImportRefused(ImpactError):
    """The file was refused as a whole; nothing was written. `problems` names rows and columns."""

    def __init__(self, problems):
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "The file was refused."
        more = len(self.problems) - 1
        super().__init__(first if not more else f"{first} (and {more} more problems)")


class InvalidMeasure(ImpactError):
    pass


class InvalidRun(ImpactError):
    """The model cannot be run on this dataset (not pupil-level, bad formula, too few pupils)."""


class InvalidLink(ImpactError):
    pass
