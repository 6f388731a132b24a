"""The exception raised for bad input, bad rule files and other failures of the C library."""


class Error(Exception):
    """A chipcheck failure, carrying the C library's error report (``chipcheck_error``).

    Attributes:
      ``message``  one sentence saying what was expected and quoting what was found;
      ``code``     the stable status name, e.g. ``"CHIPCHECK_ERR_INPUT"`` (see ``chipcheck_status`` in
                   chipcheck.h);
      ``status``   the status as a number (``-6`` for ``CHIPCHECK_ERR_INPUT``), or None;
      ``field``    the JSON field or XML element at fault (``"destination"``, ``"chip.tpp"``), or ``""``;
      ``source``   a file path, ``"<shipment>"``, ``"<builtin>/..."``, or ``""``;
      ``line``, ``column``  1-based position in the source, 0 when the error has no position;
      ``offset``   byte offset in the input, -1 when none;
      ``id``       the id of the shipment that failed, when it had one (set by ``Rules.check*``).
    """

    def __init__(self, message, code="CHIPCHECK_ERR_ARG", field="", source="", line=0, column=0,
                 status=None, offset=-1, id=None):
        """Usually made by the binding from the C library's error report; see the class for the fields."""
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.source = source
        self.line = line
        self.column = column
        self.status = status
        self.offset = offset
        self.id = id

    def __reduce__(self):
        # Keep every attribute through pickling (multiprocessing), not only the message.
        return (type(self), (self.message, self.code, self.field, self.source, self.line, self.column,
                             self.status, self.offset, self.id))

    def __str__(self):
        where = self.source
        if where and self.line:
            where = "%s:%d:%d" % (where, self.line, self.column)
        return "%s: %s" % (where, self.message) if where else self.message

    def __repr__(self):
        return "chipcheck.Error(%r, code=%r, field=%r, source=%r, line=%d, column=%d)" % (
            self.message, self.code, self.field, self.source, self.line, self.column)
