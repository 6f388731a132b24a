"""The exception raised for bad input, bad rule files and other failures of the C library."""


class Error(Exception):
    """A chipcheck failure, carrying the C library's error report.

    Attributes: ``message`` (one sentence), ``code`` (the status name, e.g. ``CHIPCHECK_ERR_INPUT``),
    ``field`` (the JSON field or XML element at fault, or ''), ``source`` (a file path, ``<shipment>``...),
    ``line`` and ``column`` (1-based, 0 when the error has no position).
    """

    def __init__(self, message, code="CHIPCHECK_ERR_ARG", field="", source="", line=0, column=0):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.source = source
        self.line = line
        self.column = column

    def __str__(self):
        where = self.source
        if where and self.line:
            where = "%s:%d:%d" % (where, self.line, self.column)
        return "%s: %s" % (where, self.message) if where else self.message
