import dev.bluepost.messaging.RedFlags;
import dev.bluepost.triage.rules.Facts;
import dev.bluepost.triage.rules.RuleEngine;
import dev.bluepost.triage.rules.RuleParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * Micro benchmark of the triage rule engine (docs/performance.md, "Triage rules"): 50 enabled
 * rules, none of which stops, over 2 KB patient messages; per message the work triage does in
 * memory: the red-flag scan, text normalization and all 50 rules. No JMH: warm-up rounds, then
 * timed rounds; prints messages/s and rule evaluations/s per round and the median.
 *
 * Usage: bench/rules.sh [rounds] [seconds-per-round]
 */
public class RuleEngineBench {

    private static final String[] WORDS = ("i have been taking my medication every morning but the pharmacy said the "
            + "prescription needs a new approval from the doctor could you please check my blood pressure readings "
            + "they were higher this week after the appointment last month and my knee still hurts when walking "
            + "upstairs thank you for your help with the insurance form and the referral to physical therapy").split(" ");

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        List<RuleEngine.Compiled> rules = rules();
        List<Facts> messages = messages(1000, 2048);
        System.out.printf("rules: %d enabled (none stops); messages: %d distinct, %d bytes each%n", rules.size(), messages.size(),
                messages.get(0).text().length());
        System.out.printf("java: %s; cpus: %d%n", System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors());
        long sink = 0;
        sink += run(rules, messages, 3.0, "warm-up");
        List<Double> rates = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            long[] result = timed(rules, messages, seconds);
            double perSecond = result[0] / (result[1] / 1e9);
            rates.add(perSecond);
            sink += result[2];
            System.out.printf("round %d: %.0f messages/s = %.0f rule evaluations/s%n", r, perSecond, perSecond * rules.size());
        }
        rates.sort(Double::compare);
        double median = rates.get(rates.size() / 2);
        System.out.printf("median: %.0f messages/s = %.0f rule evaluations/s (%.1f µs per message)%n", median, median * rules.size(),
                1e6 / median);
        System.out.println("(fired in total: " + sink + ")");
    }

    private static long run(List<RuleEngine.Compiled> rules, List<Facts> messages, double seconds, String label) {
        long[] result = timed(rules, messages, seconds);
        System.out.printf("%s: %.0f messages/s%n", label, result[0] / (result[1] / 1e9));
        return result[2];
    }

    /** {messages evaluated, nanoseconds, rules fired}. */
    private static long[] timed(List<RuleEngine.Compiled> rules, List<Facts> messages, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long count = 0;
        long fired = 0;
        int i = 0;
        while (System.nanoTime() < deadline) {
            for (int k = 0; k < 100; k++) {
                Facts base = messages.get(i++ % messages.size());
                // as triage does per message: the red-flag scan, then all rules
                Optional<RedFlags.Flag> flag = RedFlags.find(base.text());
                Facts facts = new Facts(base.text(), base.category(), base.priority(), base.senderKind(), base.pool(), base.openNow(),
                        base.firstEver(), base.hasAttachment(), flag.map(RedFlags.Flag::code));
                for (RuleEngine.Outcome o : RuleEngine.evaluate(rules, facts)) {
                    if (o.fired()) {
                        fired++;
                    }
                }
                count++;
            }
        }
        return new long[]{count, System.nanoTime() - start, fired};
    }

    private static List<RuleEngine.Compiled> rules() {
        String[] kinds = {
                "if text contains \"refill\", \"renew my prescription\", \"ran out of\"\nif category is medication-refill, other\nthen route to \"Refills\"\nthen tag refill",
                "if text matches \"(blood|pressure) (reading|level)s?\"\nthen set priority urgent",
                "if text has red flag\nthen escalate",
                "match any\nif category is billing\nif text contains \"insurance\", \"invoice\", \"copay\"\nthen tag billing",
                "if outside business hours\nif not priority is urgent\nthen set due-by in 2 business days",
                "if first message ever\nif sender is patient, proxy\nthen tag first",
                "if has attachment\nif text contains \"form\"\nthen tag forms",
                "if pool is \"Front desk\"\nif text matches \"appointment|reschedul\"\nthen set category appointment",
                "if text contains \"knee\", \"back pain\", \"physical therapy\"\nthen route to \"Front desk\"",
                "if category is test-results\nif text matches \"result[s]? (are|is) (back|ready)\"\nthen tag results"};
        List<RuleEngine.Compiled> rules = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String definition = "when message received\n" + kinds[i % kinds.length];
            rules.add(new RuleEngine.Compiled(UUID.randomUUID(), UUID.randomUUID(), 1, "rule " + i, RuleParser.parse(definition)));
        }
        return rules;
    }

    private static List<Facts> messages(int count, int bytes) {
        Random random = new Random(42);
        String[] categories = {"medical-question", "medication-refill", "appointment", "billing", "test-results", "other"};
        List<Facts> messages = new ArrayList<>();
        for (int m = 0; m < count; m++) {
            StringBuilder text = new StringBuilder(bytes);
            while (text.length() < bytes) {
                text.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(40) == 0 ? ". " : " ");
            }
            text.setLength(bytes);
            messages.add(new Facts(text.toString(), categories[m % categories.length], "routine", "PATIENT", "Front desk",
                    m % 3 != 0, m % 10 == 0, m % 7 == 0, Optional.empty()));
        }
        return messages;
    }
}
