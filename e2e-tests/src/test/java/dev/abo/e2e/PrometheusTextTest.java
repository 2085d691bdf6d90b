package dev.abo.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String PAGE = """
            # HELP abo_trainer_dead_letters_total records dead-lettered
            # TYPE abo_trainer_dead_letters_total counter
            abo_trainer_dead_letters_total{kind="BOX",topic="train.batches",} 1.0
            abo_trainer_dead_letters_total{kind="UNDECODABLE",topic="train.batches",} 2.0
            abo_trainer_dead_letters_total{kind="UNDECODABLE",topic="eval.batches",} 4.0
            abo_trainer_step 61.0
            abo_trainer_ap50 NaN
            abo_inference_latency_seconds_bucket{method="Detect",le="+Inf",} 7.0
            odd_label{reason="say \\"hi\\", then go"} 3 1712345678000
            """;

    @Test
    void samplesAreSummedOverTheLabelsAsked() {
        PrometheusText t = PrometheusText.parse(PAGE);
        assertThat(t.samples()).hasSize(7);
        assertThat(t.sum("abo_trainer_dead_letters_total")).isEqualTo(7.0);
        assertThat(t.sum("abo_trainer_dead_letters_total", Map.of("topic", "train.batches"))).isEqualTo(3.0);
        assertThat(t.sum("abo_trainer_dead_letters_total", Map.of("topic", "train.batches", "kind", "UNDECODABLE"))).isEqualTo(2.0);
        assertThat(t.sum("abo_trainer_step")).isEqualTo(61.0);
        assertThat(t.sum("abo_trainer_ap50")).isNaN();
        assertThat(t.sum("abo_inference_latency_seconds_bucket", Map.of("le", "+Inf"))).isEqualTo(7.0);
        assertThat(t.sum("odd_label", Map.of("reason", "say \\\"hi\\\", then go"))).isEqualTo(3.0);
        assertThat(t.sum("absent")).isZero();
    }

    @Test
    void aLineThatIsNoSampleIsAnError() {
        assertThatThrownBy(() -> PrometheusText.parse("abo_trainer_step{kind=\"x\"}\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("abo_trainer_step{kind=\"x\"}");
    }
}
