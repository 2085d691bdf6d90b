package dev.abo.platform.topic;

import java.util.Objects;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one protobuf message type: the record value is the message's standard binary encoding,
 * nothing else (no schema-registry header). A {@code null} value (a tombstone) stays {@code null} both ways;
 * bytes that do not parse raise {@link UndecodableRecordException} with the bytes attached.
 *
 * <p>Stateless and thread-safe; {@link #configure} and {@link #close} do nothing.
 */
public final class ProtobufSerde<M extends Message> implements Serde<M> {

    private final Parser<M> parser;
    private final String messageType;
    private final Serializer<M> serializer;
    private final Deserializer<M> deserializer;

    private ProtobufSerde(Parser<M> parser, String messageType) {
        this.parser = parser;
        this.messageType = messageType;
        this.serializer = (topic, message) -> message == null ? null : message.toByteArray();
        this.deserializer = this::decode;
    }

    /** {@code ProtobufSerde.of(TrainingBatch.getDefaultInstance())}. */
    @SuppressWarnings("unchecked")
    public static <M extends Message> ProtobufSerde<M> of(M defaultInstance) {
        Objects.requireNonNull(defaultInstance, "defaultInstance");
        return new ProtobufSerde<>((Parser<M>) defaultInstance.getParserForType(),
                defaultInstance.getDescriptorForType().getFullName());
    }

    /**
     * Parses {@code data}; {@code null} gives {@code null}.
     *
     * @param topic where the bytes came from, for the error message
     * @throws UndecodableRecordException if the bytes are not a valid encoding of the message type
     */
    public M decode(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return parser.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new UndecodableRecordException(topic, messageType, data, e);
        }
    }

    /** Full protobuf name of the message type, e.g. {@code training.v1.TrainingBatch}. */
    public String messageType() {
        return messageType;
    }

    @Override
    public Serializer<M> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<M> deserializer() {
        return deserializer;
    }

    @Override
    public String toString() {
        return "ProtobufSerde[" + messageType + "]";
    }
}
