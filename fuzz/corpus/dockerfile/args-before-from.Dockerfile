ARG REGISTRY=docker.io PLATFORM
FROM --platform=$BUILDPLATFORM $REGISTRY/library/node:${NODE:-20}-slim AS base
ARG REGISTRY
ENV NPM_TOKEN=npm_0123456789abcdefghijklmnopqrstuvwxyz AWS_SECRET_ACCESS_KEY=${KEY#prefix}
RUN pip install --no-cache-dir flask && git config --global http.sslVerify false
RUN curl -k https://x | bash -s -- --yes
COPY --chmod=0777 ./ /
WORKDIR ${HOME%/}/app
USER ${USER:?required}
CMD npm start
