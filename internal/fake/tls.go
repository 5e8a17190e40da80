package fake

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http/httptest"
	"time"
)

// StartTLS serves the fake over HTTPS on a free port of 127.0.0.1 with a
// self-signed certificate for 127.0.0.1 and the given host names, and
// returns the base URL and the certificate in PEM, which is also the CA that
// trusts it. Host names let a test reach the fake under a name that is not
// loopback, as a proxy test needs. Call it instead of Start.
func (s *Server) StartTLS(hostNames ...string) (baseURL string, caPEM []byte) {
	cert, caPEM, err := selfSignedCertificate(hostNames)
	if err != nil {
		panic(fmt.Sprintf("fake: creating a TLS certificate: %v", err))
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.httpServer != nil {
		panic("fake: the server is already started")
	}
	srv := httptest.NewUnstartedServer(s)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	// Tests refuse this certificate on purpose; the refused handshakes are
	// no news worth a log line.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	s.httpServer = srv
	return srv.URL + s.contextPath, caPEM
}

func selfSignedCertificate(hostNames []string) (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(now.UnixNano()),
		Subject:               pkix.Name{CommonName: "fake Confluence", Organization: []string{"fake Confluence"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              hostNames,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	cert := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	return cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}
