package dev.bluepost.messaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The red flags, and the substring prefilter that lets the common message skip the expressions. */
class RedFlagsTest {

    @ParameterizedTest
    @CsvSource({
            "I have had chest pain since this morning, chest-pain",
            "My chest pains are back, chest-pain",
            "there is chest tightness when I walk, chest-pain",
            "I feel pressure in my chest, chest-pain",
            "could this be a heart attack, chest-pain",
            "I can't breathe well at night, breathing",
            "I cannot breathe, breathing",
            "it is hard to breathe, breathing",
            "trouble breathing since yesterday, breathing",
            "difficulty breathing, breathing",
            "I am short of breath, breathing",
            "shortness of breath when climbing stairs, breathing",
            "my son is choking, breathing",
            "her lips are turning blue, breathing",
            "I think I had a stroke, stroke",
            "my face is drooping, stroke",
            "his face droops on the left, stroke",
            "slurred speech since lunch, stroke",
            "sudden numbness on one side, stroke",
            "I can't move my arm, stroke",
            "I cant feel my leg, stroke",
            "I have suicidal thoughts, suicide",
            "thinking about suicide, suicide",
            "I want to kill myself, suicide",
            "I thought about killing myself, suicide",
            "I want to end my life, suicide",
            "I want to end it all, suicide",
            "I just want to die, suicide",
            "I self-harm when it gets bad, suicide",
            "self harm again, suicide",
            "I took an overdose, suicide",
            "I overdosed on my pills, suicide",
            "the cut is bleeding heavily, bleeding",
            "the wound is bleeding a lot, bleeding",
            "bleeding won't stop, bleeding",
            "I was vomiting blood, bleeding",
            "coughing up blood, bleeding",
            "I had anaphylaxis before, anaphylaxis",
            "an anaphylactic reaction, anaphylaxis",
            "my throat is closing, anaphylaxis",
            "throat swelling after the new pill, anaphylaxis",
            "I have a swollen tongue, anaphylaxis",
            "he was unconscious for a minute, unconscious",
            "I passed out at work, unconscious",
            "she fainted twice, unconscious",
            "he had a seizure, unconscious",
            "my father is unresponsive, unconscious",
            "I HAVE CHEST PAIN, chest-pain",
            "Je n’arrive pas … I cán’t breathe, breathing",
            "Tengo dolor de pecho desde la mañana, chest-pain",
            "siento opresión en el pecho, chest-pain",
            "¿será un infarto?, chest-pain",
            "No puedo respirar bien, breathing",
            "mi hijo se está ahogando, breathing",
            "tengo dificultad para respirar, breathing",
            "creo que es un derrame cerebral, stroke",
            "no puedo mover el brazo, stroke",
            "pienso en el suicidio, suicide",
            "quiero morirme, suicide",
            "tomé una sobredosis, suicide",
            "estoy vomitando sangre, bleeding",
            "se me cierra la garganta, anaphylaxis",
            "mi papá se desmayó, unconscious",
            "tuvo una convulsión, unconscious"
    })
    void shouldRaiseEveryPhrase(String text, String code) {
        assertThat(RedFlags.find(text)).map(RedFlags.Flag::code).contains(code);
    }

    @Test
    void shouldRaiseNothingForARoutineMessage() {
        String text = "Hello doctor, I have a question about my prescription refill and the dose I was given last week. ".repeat(20);
        assertThat(RedFlags.find(text)).isEmpty();
        assertThat(RedFlags.find("")).isEmpty();
        assertThat(RedFlags.find(null)).isEmpty();
    }

    @Test
    void shouldNotMatchInsideOtherWords() {
        assertThat(RedFlags.find("the strokes of a brush; a chestnut tree; self-service")).isEmpty();
        assertThat(RedFlags.find("¿Pueden renovar mi receta? El aire acondicionado de la sala de espera; mi cara de sueño")).isEmpty();
    }

    @Test
    void shouldFindEveryKeyInOnePassWhateverItsCaseAndPlace() {
        for (String key : RedFlags.KEYS) {
            assertThat(RedFlags.containsKey(key)).as(key).isTrue();
            assertThat(RedFlags.containsKey("Dear doctor, " + key.toUpperCase(java.util.Locale.ROOT))).as(key).isTrue();
            assertThat(RedFlags.containsKey(key.substring(0, key.length() - 1))).as(key).isFalse();
        }
        assertThat(RedFlags.containsKey("Please refill my prescription, thank you.")).isFalse();
        assertThat(RedFlags.containsKey("")).isFalse();
    }
}
