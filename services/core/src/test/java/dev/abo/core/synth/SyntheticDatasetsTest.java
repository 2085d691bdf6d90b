package dev.abo.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SyntheticDatasetsTest {

    @Test
    void namesMapToDefaultGenerators() {
        SceneGenerator heads = SyntheticDatasets.parse("synthetic:heads", 8);
        assertThat(heads).isInstanceOf(HeadsScenes.class);
        assertThat(((HeadsScenes) heads).config()).isEqualTo(HeadsConfig.defaults());
        assertThat(heads.scene(3).image()).isEqualTo(new HeadsScenes(8).scene(3).image());
        SceneGenerator mixed = SyntheticDatasets.parse("synthetic:mixed", 8);
        assertThat(((MixedScenes) mixed).config()).isEqualTo(MixedConfig.defaults());
        assertThat(mixed.scene(3).labels()).isEqualTo(new MixedScenes(8).scene(3).labels());
    }

    @Test
    void unknownNameListsTheValidOnes() {
        assertThatThrownBy(() -> SyntheticDatasets.parse("synthetic:cats", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown synthetic dataset 'synthetic:cats'; valid names: synthetic:heads, synthetic:mixed");
        assertThat(SyntheticDatasets.isSynthetic("synthetic:cats")).isTrue();
        assertThat(SyntheticDatasets.isSynthetic("voc:/data")).isFalse();
    }
}
