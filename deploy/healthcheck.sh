#!/bin/bash
# HEALTHCHECK for the service images: GET http://127.0.0.1:$1$2 without curl/wget (the JRE image has neither);
# healthy only on an HTTP 200 (the platform's /health answers 503 while a check is DOWN).
exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$2" >&3
IFS= read -r -t 5 status <&3 || exit 1
case "$status" in "HTTP/1."?" 200"*) exit 0 ;; *) exit 1 ;; esac
