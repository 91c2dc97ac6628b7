"""Running Trede in production: the WSGI server (`trede serve`), the health endpoint
`/gezondheid/`, request ids and JSON log lines, and the load test (`trede bench load`)."""
