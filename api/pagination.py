"""Cursor pages: a stable order by id, no count of the whole table, ``next`` and ``previous`` links."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 1000

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        # The position is an id (the order is by id): a cursor holding anything else was not made
        # here, and is a 404 like any other bad cursor (not a 500 from the database).
        if cursor is not None and cursor.position is not None and not str(cursor.position).isdigit():
            raise NotFound(self.invalid_cursor_message)
        return cursor
