cat <<EOF > /etc/x.conf
key=$VALUE
EOF
if [ -f /x ]; then (cd /tmp && make -j$(nproc)); fi; for f in *.deb; do dpkg -i "$f"; done & wait
