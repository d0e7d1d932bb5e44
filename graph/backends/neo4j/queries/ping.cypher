// The server answers queries in the database (not only the handshake).
RETURN 1
