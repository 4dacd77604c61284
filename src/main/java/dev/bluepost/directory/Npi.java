package dev.bluepost.directory;

/**
 * The one NPI check of the platform (the FHIR Practitioner and the directory pages): 10 digits whose
 * last is the Luhn check digit computed over the 9 others prefixed with 80840 (CMS NPI standard).
 */
public final class Npi {

    private Npi() {}

    public static boolean isValid(String npi) {
        if (npi == null || npi.length() != 10 || !npi.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        String digits = "80840" + npi;
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }
}
