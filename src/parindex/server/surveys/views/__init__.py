"""Survey managers' pages, one module per page family: ``overview`` (the list, a survey's
collection and quality), ``results`` (estimates and their Excel download), ``collection``
(the draw, imports, paper keying, ballot sheets); ``access`` decides who reaches them."""
