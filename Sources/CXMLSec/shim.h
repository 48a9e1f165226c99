// libxml2 and libxmlsec1 (OpenSSL backend) through one header, so Swift can parse SAML messages and verify their
// XML signatures with the well-kept C libraries instead of its own canonicalization. zlib is here for the raw
// DEFLATE of the SAML HTTP-Redirect binding.
//
// The few inline functions below exist because Swift cannot import function-like macros or pass a C function
// where libxml2 wants a callback.
#ifndef HOOP_CXMLSEC_SHIM_H
#define HOOP_CXMLSEC_SHIM_H

// What Debian's `pkg-config --cflags xmlsec1-openssl` defines: SwiftPM drops -D flags from pkg-config, and
// XMLSEC_NO_SIZE_T changes the width of xmlSecSize in the library's ABI, so they are stated here (a test compares
// them with pkg-config's).
#define XMLSEC_NO_SIZE_T 1
#define XMLSEC_OPENSSL3_ENGINES 1
#define XMLSEC_NO_GOST 1
#define XMLSEC_NO_GOST2012 1
#define XMLSEC_NO_CRYPTO_DYNAMIC_LOADING 1
#define XMLSEC_CRYPTO_OPENSSL 1
#define __XMLSEC_FUNCTION__ __func__

// libxml2's headers pull in the system ICU when it is built with it, which clashes with the copy of ICU inside
// Foundation. Only the tail of xmlCharEncodingHandler depends on it, a struct used here only through pointers.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <libxml/xmlIO.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/templates.h>
#include <xmlsec/transforms.h>
#include <xmlsec/keys.h>
#include <xmlsec/errors.h>
#include <xmlsec/openssl/app.h>
#include <xmlsec/openssl/crypto.h>
#include <zlib.h>

/// Refuses every external entity, DTD or document load: a SAML message never needs one, and a loader that answers
/// nothing is the last line behind XML_PARSE_NONET and the DOCTYPE refusal.
static inline xmlParserInputPtr hoop_xml_refuse_external(const char *url, const char *id, xmlParserCtxtPtr context) {
    (void)url;
    (void)id;
    (void)context;
    return NULL;
}

/// xmlsec's default error callback prints to stderr; a refused message is reported by the caller instead.
static inline void hoop_xmlsec_silent_errors(const char *file, int line, const char *func, const char *errorObject,
                                             const char *errorSubject, int reason, const char *msg) {
    (void)file;
    (void)line;
    (void)func;
    (void)errorObject;
    (void)errorSubject;
    (void)reason;
    (void)msg;
}

/// libxml2's deallocator, a function pointer variable Swift cannot call through directly.
static inline void hoop_xml_free(void *pointer) {
    if (pointer != NULL) {
        xmlFree(pointer);
    }
}

/// One-time process set-up of libxml2 and xmlsec with the OpenSSL backend. Returns 0 on success.
static inline int hoop_xmlsec_initialize(void) {
    xmlInitParser();
    xmlSetExternalEntityLoader(hoop_xml_refuse_external);
    if (xmlSecInit() < 0) {
        return -1;
    }
    if (xmlSecCheckVersion() != 1) {
        return -2;
    }
    if (xmlSecOpenSSLAppInit(NULL) < 0) {
        return -3;
    }
    if (xmlSecOpenSSLInit() < 0) {
        return -4;
    }
    // After xmlSecInit, which installs the default (printing) callback.
    xmlSecErrorsSetCallback(hoop_xmlsec_silent_errors);
    return 0;
}

/// Raw DEFLATE (RFC 1951, no zlib header), as the HTTP-Redirect binding sends a SAML message. Returns the number of
/// bytes written to `output`, or -1 when it did not fit.
static inline long hoop_raw_deflate(const unsigned char *input, unsigned long inputLength, unsigned char *output,
                                    unsigned long outputCapacity) {
    z_stream stream = {0};
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return -1;
    }
    stream.next_in = (Bytef *)input;
    stream.avail_in = (uInt)inputLength;
    stream.next_out = output;
    stream.avail_out = (uInt)outputCapacity;
    int status = deflate(&stream, Z_FINISH);
    long written = (long)stream.total_out;
    deflateEnd(&stream);
    return status == Z_STREAM_END ? written : -1;
}

/// Raw INFLATE of at most `outputCapacity` bytes, the inverse of hoop_raw_deflate (used to read an AuthnRequest back).
/// Returns the number of bytes written, or -1 when the input is not raw DEFLATE or inflates to more than fits.
static inline long hoop_raw_inflate(const unsigned char *input, unsigned long inputLength, unsigned char *output,
                                    unsigned long outputCapacity) {
    z_stream stream = {0};
    if (inflateInit2(&stream, -15) != Z_OK) {
        return -1;
    }
    stream.next_in = (Bytef *)input;
    stream.avail_in = (uInt)inputLength;
    stream.next_out = output;
    stream.avail_out = (uInt)outputCapacity;
    int status = inflate(&stream, Z_FINISH);
    long written = (long)stream.total_out;
    inflateEnd(&stream);
    return status == Z_STREAM_END ? written : -1;
}

#endif
