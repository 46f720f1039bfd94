"""Cursor pages: a stable order by id, no count of the whole table, ``next`` and ``previous`` links."""

from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 1000
