"""The analyst's tools on the published warehouse: status, query, export, docs and the HTML report (with its charts)."""
