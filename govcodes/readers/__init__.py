"""Readers: one source layer, one header vocabulary, and the line items and published tables on top.

* :mod:`~govcodes.readers.source`: a path, ``-``, bytes or a stream becomes a format, an
  encoding, a delimiter, rows of cells;
* :mod:`~govcodes.readers.vocabulary`: code, name and amount headers, total labels, units;
* :mod:`~govcodes.readers.items`: line items (:func:`read_items`);
* :mod:`~govcodes.readers.tables`: the tables of published documents (:func:`read_tables`).
"""
