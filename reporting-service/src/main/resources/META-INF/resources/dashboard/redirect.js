// For a page at / that only forwards to the dashboard at /dashboard/: keeps the query and the
// fragment (#token=… never reaches a server; a meta refresh would drop it).
location.replace(new URL(`dashboard/${location.search}${location.hash}`, location.href));
