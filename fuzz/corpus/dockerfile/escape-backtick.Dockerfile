# escape=`
# check=skip=all
FROM mcr.microsoft.com/windows/servercore:ltsc2022
ENV A=x `
    B=c
LABEL "multi word"="a b" simple=c
RUN echo `$HOME && npm install && chmod 777 /data
ONBUILD RUN sudo apt-get upgrade
ENV LEGACY value with spaces
USER 0:0
VOLUME ["/data", "/logs"]
STOPSIGNAL SIGKILL
