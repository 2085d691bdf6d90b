package dev.abo.detector.train;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * Jackson's default writes NaN and the infinities as the strings {@code "NaN"}, {@code "Infinity"}, which
 * strict JSON readers take for text. This module writes every non-finite {@code double} as {@code null}
 * and reads {@code null} back into a {@code double} as NaN (Jackson's default would give 0), so a metric
 * that does not exist round-trips as "not a number".
 */
final class NonFiniteAsNull {
    private NonFiniteAsNull() {
    }

    static SimpleModule module() {
        SimpleModule m = new SimpleModule("non-finite-as-null");
        JsonSerializer<Double> writer = new JsonSerializer<>() {
            @Override
            public void serialize(Double v, JsonGenerator gen, SerializerProvider provider) throws IOException {
                if (v == null || !Double.isFinite(v)) {
                    gen.writeNull();
                } else {
                    gen.writeNumber(v);
                }
            }
        };
        m.addSerializer(Double.class, writer);
        m.addSerializer(double.class, writer);
        m.addDeserializer(Double.class, new Reader(Double.class));
        m.addDeserializer(double.class, new Reader(double.class));
        return m;
    }

    private static final class Reader extends StdDeserializer<Double> {
        Reader(Class<?> type) {
            super(type);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return p.getValueAsDouble();
        }

        @Override
        public Double getNullValue(DeserializationContext ctxt) {
            return Double.NaN;
        }
    }
}
