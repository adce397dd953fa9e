FROM alpine:3.20
RUN <<EOT bash
  set -e
  apk add --no-cache curl
  pip install requests
EOT
COPY <<-"EOF2" /etc/app.conf
	password=${DB_PASSWORD}
	EOF2
RUN <<A cat >/a && <<B cat >/b
one
A
two
B
ADD https://example.invalid/tool.tar.gz /opt/
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN wget -qO- https://example.invalid/x | tar xz
MAINTAINER someone
