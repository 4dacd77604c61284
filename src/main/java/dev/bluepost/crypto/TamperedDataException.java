package dev.bluepost.crypto;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;

/**
 * A ciphertext failed authentication or its plaintext does not match the stored digest. The read
 * is refused; the message names what failed (by id), never its content.
 */
public class TamperedDataException extends BluepostException {

    public TamperedDataException(String what) {
        super(
                ErrorKind.INTERNAL,
                "The stored " + what + " failed its integrity check and cannot be shown.");
    }
}
