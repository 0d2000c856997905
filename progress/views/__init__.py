"""The student's pages, one module per page group. Views parse the request, call one service or selector, render."""
