package dev.bluepost.crypto;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The cryptography of Direct messages (S/MIME, docs/adr/0046): a detached CMS signature with the
 * practice's key, CMS enveloped data for the recipient's certificate (RSA-OAEP with SHA-256, AES-256-CBC),
 * their opening and verifying (the mock HISP, docs/operations.md), reading PEM files, finding the
 * Direct addresses a certificate is bound to, and the demo's generated certificates. The MIME
 * structure around these bytes is built elsewhere; nothing here sees an address in a log.
 */
public final class DirectSmime {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A private key with its certificate (the practice's signing identity, or a demo recipient's). */
    public record Identity(PrivateKey key, X509Certificate certificate) {}

    /** What a signed entity's signature says: whether it verified against the trusted certificate, and the signer. */
    public record Verification(boolean valid, X509Certificate signer) {}

    private DirectSmime() {}

    /** A detached CMS SignedData (DER) over {@code content}, SHA-256 with RSA, carrying the signer's certificate. */
    public static byte[] sign(byte[] content, Identity signer) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(
                    new JcaSignerInfoGeneratorBuilder(
                                    new JcaDigestCalculatorProviderBuilder()
                                            .setProvider(BC)
                                            .build())
                            .build(
                                    new JcaContentSignerBuilder("SHA256withRSA")
                                            .setProvider(BC)
                                            .build(signer.key()),
                                    signer.certificate()));
            generator.addCertificates(new JcaCertStore(List.of(signer.certificate())));
            return generator.generate(new CMSProcessableByteArray(content), false).getEncoded();
        } catch (CMSException | OperatorCreationException | CertificateException | IOException e) {
            throw new IllegalStateException("could not sign a Direct message", e);
        }
    }

    /** CMS EnvelopedData (DER) of {@code content} for the recipient's certificate: RSA-OAEP (SHA-256) key transport, AES-256-CBC. */
    public static byte[] encrypt(byte[] content, X509Certificate recipient) {
        try {
            OAEPParameterSpec oaep =
                    new OAEPParameterSpec(
                            "SHA-256",
                            "MGF1",
                            MGF1ParameterSpec.SHA256,
                            PSource.PSpecified.DEFAULT);
            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(
                    new JceKeyTransRecipientInfoGenerator(
                                    recipient,
                                    new JcaAlgorithmParametersConverter()
                                            .getAlgorithmIdentifier(
                                                    PKCSObjectIdentifiers.id_RSAES_OAEP, oaep))
                            .setProvider(BC));
            return generator
                    .generate(
                            new CMSProcessableByteArray(content),
                            new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC)
                                    .setProvider(BC)
                                    .build())
                    .getEncoded();
        } catch (CMSException | GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not encrypt a Direct message", e);
        }
    }

    /** Opens CMS EnvelopedData with the recipient's key; throws IllegalArgumentException when it is not for them. */
    public static byte[] decrypt(byte[] enveloped, Identity recipient) {
        try {
            CMSEnvelopedData data = new CMSEnvelopedData(enveloped);
            RecipientInformation info =
                    data.getRecipientInfos()
                            .get(new JceKeyTransRecipientId(recipient.certificate()));
            if (info == null) {
                throw new IllegalArgumentException(
                        "the message is not encrypted for this recipient");
            }
            return info.getContent(
                    new JceKeyTransEnvelopedRecipient(recipient.key()).setProvider(BC));
        } catch (CMSException e) {
            throw new IllegalArgumentException("the message could not be decrypted", e);
        }
    }

    /**
     * Verifies a detached signature over {@code content}: the signer's certificate must be the
     * trusted one or be issued by it, and the signature must verify with it.
     */
    @SuppressWarnings("unchecked")
    public static Verification verify(byte[] content, byte[] signature, X509Certificate trusted) {
        try {
            CMSSignedData signed =
                    new CMSSignedData(new CMSProcessableByteArray(content), signature);
            for (SignerInformation signer : signed.getSignerInfos().getSigners()) {
                Collection<X509CertificateHolder> matches =
                        signed.getCertificates().getMatches(signer.getSID());
                for (X509CertificateHolder holder : matches) {
                    X509Certificate certificate =
                            new JcaX509CertificateConverter()
                                    .setProvider(BC)
                                    .getCertificate(holder);
                    if (!chainsTo(certificate, trusted)) {
                        continue;
                    }
                    certificate.checkValidity();
                    boolean valid =
                            signer.verify(
                                    new JcaSimpleSignerInfoVerifierBuilder()
                                            .setProvider(BC)
                                            .build(certificate));
                    return new Verification(valid, certificate);
                }
            }
            return new Verification(false, null);
        } catch (CMSException | GeneralSecurityException | OperatorCreationException e) {
            return new Verification(false, null);
        }
    }

    private static boolean chainsTo(X509Certificate certificate, X509Certificate trusted) {
        if (certificate.equals(trusted)) {
            return true;
        }
        try {
            certificate.verify(trusted.getPublicKey());
            return certificate.getIssuerX500Principal().equals(trusted.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * The Direct addresses and domains a certificate is bound to, lower case: its subjectAltName
     * rfc822Name entries (address-bound) and dNSName entries (domain-bound), else the subject's e-mail.
     */
    public static List<String> boundTo(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    int type = (Integer) entry.get(0);
                    if (type == 1 || type == 2) {
                        names.add(String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateException e) {
            return names;
        }
        if (names.isEmpty()) {
            X500Name subject =
                    X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
            for (RDN rdn : subject.getRDNs(BCStyle.EmailAddress)) {
                ASN1Encodable value = rdn.getFirst().getValue();
                names.add(IETFUtils.valueToString(value).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** Every certificate of a PEM file (a trust bundle, or a certificate with its chain). */
    public static List<X509Certificate> readCertificates(Path pem) {
        try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII)) {
            return certificates(reader);
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException(
                    "could not read the certificates of " + pem.getFileName(), e);
        }
    }

    /** Every certificate of PEM text. */
    public static List<X509Certificate> readCertificates(String pem) {
        try {
            return certificates(new StringReader(pem));
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("could not read PEM certificates", e);
        }
    }

    private static List<X509Certificate> certificates(Reader reader)
            throws IOException, CertificateException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(reader)) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(
                            new JcaX509CertificateConverter()
                                    .setProvider(BC)
                                    .getCertificate(holder));
                }
            }
        }
        return certificates;
    }

    /** The (unencrypted PKCS#8 or PKCS#1) private key of a PEM file. */
    public static PrivateKey readPrivateKey(Path pem) {
        try (PEMParser parser =
                new PEMParser(Files.newBufferedReader(pem, StandardCharsets.US_ASCII))) {
            Object item;
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BC);
            while ((item = parser.readObject()) != null) {
                if (item instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
            throw new IllegalStateException("no unencrypted private key in " + pem.getFileName());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "could not read the private key " + pem.getFileName(), e);
        }
    }

    /**
     * A new RSA-2048 key with a self-signed certificate bound to {@code address} (subjectAltName
     * rfc822Name), valid for a year: the demo's practice identity and mock HISP recipient.
     */
    public static Identity generate(String commonName, String address) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName.replaceAll("[,=+<>#;\"\\\\]", " "));
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder =
                    new JcaX509v3CertificateBuilder(
                            name,
                            new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
                            Date.from(now.minus(Duration.ofHours(1))),
                            Date.from(now.plus(Duration.ofDays(365))),
                            name,
                            pair.getPublic());
            builder.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)));
            builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate certificate =
                    new JcaX509CertificateConverter()
                            .setProvider(BC)
                            .getCertificate(
                                    builder.build(
                                            new JcaContentSignerBuilder("SHA256withRSA")
                                                    .setProvider(BC)
                                                    .build(pair.getPrivate())));
            return new Identity(pair.getPrivate(), certificate);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("could not generate a Direct certificate", e);
        }
    }
}
