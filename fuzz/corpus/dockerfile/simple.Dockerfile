FROM debian:12
RUN apt-get update && apt-get install -y curl
COPY . /app
USER root
CMD ["/app/run.sh"]
