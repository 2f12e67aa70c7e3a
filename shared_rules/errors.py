"""The one error the rules raise on bad input: it names the field, so the command line, the API
and the app can all say exactly what is wrong."""


class InputError(ValueError):
    def __init__(self, field, message):
        super().__init__(field + ": " + message)   # MicroPython has no ValueError.__init__
        self.field = field
        self.message = message

    def __str__(self):
        return self.field + ": " + self.message


class NoParameters(Exception):
    """A toeslag has no parameters for the year: the result says so, it never guesses."""
