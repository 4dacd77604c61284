package dev.bluepost.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        // Spanish, with and without accents
        "Tengo dolor de pecho desde la mañana, chest-pain",
        "Siento presión en el pecho al caminar, chest-pain",
        "Me duele mucho el pecho, chest-pain",
        "¿Será un ataque al corazón?, chest-pain",
        "Creo que es un infarto, chest-pain",
        "No puedo respirar bien por la noche, breathing",
        "Me cuesta respirar, breathing",
        "Tengo falta de aire al subir escaleras, breathing",
        "Mi hijo se está ahogando, breathing",
        "Sus labios morados me asustan, breathing",
        "Creo que tuve un derrame cerebral, stroke",
        "Tiene la cara caída del lado izquierdo, stroke",
        "habla arrastrada desde el almuerzo, stroke",
        "No puedo mover el brazo, stroke",
        "No siento la pierna, stroke",
        "He pensado en el suicidio, suicide",
        "Quiero matarme, suicide",
        "Pienso en quitarme la vida, suicide",
        "Quiero morirme, suicide",
        "Tomé una sobredosis de pastillas, suicide",
        "La herida está sangrando mucho, bleeding",
        "No para de sangrar, bleeding",
        "Estuve vomitando sangre, bleeding",
        "Toso sangre desde ayer, bleeding",
        "Tuve anafilaxia antes, anaphylaxis",
        "Se me cierra la garganta, anaphylaxis",
        "Tengo la lengua hinchada, anaphylaxis",
        "Estuvo inconsciente un minuto, unconscious",
        "Me desmayé en el trabajo, unconscious",
        "Tuvo una convulsión, unconscious",
        "Mi padre no responde, unconscious",
        "NO PUEDO RESPIRAR, breathing"
    })
    void shouldRaiseEveryPhrase(String text, String code) {
        assertThat(RedFlags.find(text)).map(RedFlags.Flag::code).contains(code);
    }

    @Test
    void shouldRaiseNothingForARoutineMessage() {
        String text =
                "Hello doctor, I have a question about my prescription refill and the dose I was given last week. "
                        .repeat(20);
        assertThat(RedFlags.find(text)).isEmpty();
        assertThat(RedFlags.find("")).isEmpty();
        assertThat(RedFlags.find(null)).isEmpty();
    }

    @Test
    void shouldRaiseNothingForARoutineSpanishMessage() {
        assertThat(
                        RedFlags.find(
                                "Hola, doctora: quisiera una cita para la próxima semana y una reposición de mi receta. "
                                        + "Mi farmacia es la de siempre. ¿Puedo hablar con la enfermera sobre mis resultados? Gracias."))
                .isEmpty();
    }

    @Test
    void shouldNotMatchInsideOtherWords() {
        assertThat(RedFlags.find("the strokes of a brush; a chestnut tree; self-service"))
                .isEmpty();
    }

    @Test
    void shouldFindEveryKeyInOnePassWhateverItsCaseAndPlace() {
        for (String key : RedFlags.KEYS) {
            assertThat(RedFlags.containsKey(key)).as(key).isTrue();
            assertThat(
                            RedFlags.containsKey(
                                    "Dear doctor, " + key.toUpperCase(java.util.Locale.ROOT)))
                    .as(key)
                    .isTrue();
            assertThat(RedFlags.containsKey(key.substring(0, key.length() - 1))).as(key).isFalse();
        }
        assertThat(RedFlags.containsKey("Please refill my prescription, thank you.")).isFalse();
        assertThat(RedFlags.containsKey("")).isFalse();
    }
}
