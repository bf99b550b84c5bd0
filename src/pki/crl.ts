import { createSign } from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;
const UNIVERSAL = asn1.Class.UNIVERSAL;

export interface RevokedEntry {
  /** The certificate serial, hex as node-forge writes it. */
  serialHex: string;
  revokedAt: Date;
}

export interface CrlSpec {
  issuer: forge.pki.Certificate;
  /** The issuer's private key (PEM); the CRL is signed with sha256WithRSAEncryption. */
  issuerKeyPem: string;
  thisUpdate: Date;
  nextUpdate: Date;
  /** The CRL number extension (RFC 5280 5.2.3): increases with each CRL of one issuer. */
  number: number;
  entries: RevokedEntry[];
}

const OID_CRL_NUMBER = '2.5.29.20';
const OID_AUTHORITY_KEY_ID = '2.5.29.35';
const OID_REASON_CODE = '2.5.29.21';
const REASON_KEY_COMPROMISE = 1;

const node = (type: number, constructed: boolean, value: string | forge.asn1.Asn1[]) => asn1.create(UNIVERSAL, type, constructed, value);
const sequence = (items: forge.asn1.Asn1[]) => node(asn1.Type.SEQUENCE, true, items);
const oid = (id: string) => node(asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
const integer = (n: number) => node(asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const octets = (bytes: string) => node(asn1.Type.OCTETSTRING, false, bytes);

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
function time(date: Date): forge.asn1.Asn1 {
  return date.getUTCFullYear() < 2050
    ? node(asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : node(asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

function extension(id: string, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  return sequence([oid(id), octets(asn1.toDer(value).getBytes())]);
}

function serialInteger(serialHex: string): forge.asn1.Asn1 {
  const hex = serialHex.length % 2 ? `0${serialHex}` : serialHex;
  // DER INTEGER: a leading 00 keeps a serial whose first bit is set positive.
  const bytes = forge.util.hexToBytes(hex);
  return node(asn1.Type.INTEGER, false, bytes.charCodeAt(0) & 0x80 ? `\x00${bytes}` : bytes);
}

function authorityKeyId(issuer: forge.pki.Certificate): forge.asn1.Asn1 {
  const keyId = issuer.generateSubjectKeyIdentifier().getBytes();
  return sequence([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, keyId)]);
}

/**
 * A v2 X.509 CRL (RFC 5280 5.1) in PEM. node-forge reads certificates but cannot write CRLs, so the structure is
 * built with its ASN.1 tools and signed with Node's crypto. The issuer name is encoded by the same forge function
 * that encoded the CA's subject, so OpenSSL matches the CRL to its CA byte for byte.
 */
export function createCrlPem(spec: CrlSpec): string {
  const algorithm = sequence([oid(forge.pki.oids.sha256WithRSAEncryption!), node(asn1.Type.NULL, false, '')]);
  const tbsItems: forge.asn1.Asn1[] = [
    integer(1), // v2
    algorithm,
    forge.pki.distinguishedNameToAsn1(spec.issuer.subject),
    time(spec.thisUpdate),
    time(spec.nextUpdate),
  ];
  if (spec.entries.length) {
    tbsItems.push(
      sequence(
        spec.entries.map((entry) =>
          sequence([
            serialInteger(entry.serialHex),
            time(entry.revokedAt),
            sequence([extension(OID_REASON_CODE, node(asn1.Type.ENUMERATED, false, String.fromCharCode(REASON_KEY_COMPROMISE)))]),
          ]),
        ),
      ),
    );
  }
  tbsItems.push(
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
      sequence([extension(OID_AUTHORITY_KEY_ID, authorityKeyId(spec.issuer)), extension(OID_CRL_NUMBER, integer(spec.number))]),
    ]),
  );
  const tbs = sequence(tbsItems);
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  const signature = createSign('sha256').update(tbsDer).sign(spec.issuerKeyPem);
  const crl = sequence([tbs, algorithm, node(asn1.Type.BITSTRING, false, `\x00${signature.toString('binary')}`)]);
  return forge.pem.encode({ type: 'X509 CRL', body: asn1.toDer(crl).getBytes() });
}

export interface ParsedCrl {
  tbsDer: Buffer;
  signature: Buffer;
  thisUpdate: Date;
  nextUpdate: Date;
  revokedSerials: string[];
}

/** Reads back what createCrlPem wrote (for tests and for deciding whether a generated set is still usable). */
export function parseCrlPem(pem: string): ParsedCrl {
  const [message] = forge.pem.decode(pem);
  if (!message || message.type !== 'X509 CRL') throw new Error('not a PEM X509 CRL');
  const crl = asn1.fromDer(message.body);
  const [tbs, , signatureBits] = crl.value as forge.asn1.Asn1[];
  const fields = tbs!.value as forge.asn1.Asn1[];
  const revoked = fields[5] && fields[5].tagClass === UNIVERSAL ? (fields[5].value as forge.asn1.Asn1[]) : [];
  const readTime = (field: forge.asn1.Asn1) =>
    field.type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(field.value as string) : asn1.generalizedTimeToDate(field.value as string);
  return {
    tbsDer: Buffer.from(asn1.toDer(tbs!).getBytes(), 'binary'),
    signature: Buffer.from((signatureBits!.value as string).slice(1), 'binary'),
    thisUpdate: readTime(fields[3]!),
    nextUpdate: readTime(fields[4]!),
    revokedSerials: revoked.map((entry) => forge.util.bytesToHex((entry.value as forge.asn1.Asn1[])[0]!.value as string).replace(/^00(?=[89a-f])/, '')),
  };
}
