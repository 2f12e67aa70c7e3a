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
    """A toeslag needs a value that is not published for the year (e.g. the second-child column of
    the kinderopvangtoeslag table 2027): the result says so in `text` (B1 Dutch), it never guesses."""

    def __init__(self, text):
        super().__init__(text)
        self.text = text
