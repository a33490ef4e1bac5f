using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace NormGen.Benchmarks;

/// <summary>
/// Builds a one-node ONNX model (opset 17, LayerNormalization over the last axis) as protobuf bytes,
/// so nothing is downloaded at run time. Only the fields this model needs are written; field numbers
/// are those of onnx/onnx.proto3.
/// </summary>
internal static class OnnxModel
{
    private const int TensorFloat = 1;        // TensorProto.DataType.FLOAT
    private const int TensorFloat16 = 10;     // TensorProto.DataType.FLOAT16
    private const int AttributeFloat = 1;     // AttributeProto.AttributeType.FLOAT
    private const int AttributeInt = 2;       // AttributeProto.AttributeType.INT

    /// <summary>
    /// X [rows, hidden] -> LayerNormalization(axis = -1, epsilon) -> Y [rows, hidden];
    /// Scale and B are initializers holding <paramref name="gamma"/> and <paramref name="beta"/>.
    /// </summary>
    public static byte[] LayerNormalization(int rows, float[] gamma, float[] beta, float epsilon, bool float16 = false)
    {
        int hidden = gamma.Length;
        int type = float16 ? TensorFloat16 : TensorFloat;
        var node = new Proto()
            .String(1, "X").String(1, "Scale").String(1, "B")               // NodeProto.input
            .String(2, "Y")                                                  // NodeProto.output
            .String(3, "layer_norm")                                         // NodeProto.name
            .String(4, "LayerNormalization")                                 // NodeProto.op_type
            .Message(5, new Proto().String(1, "axis").Int(3, -1).Int(20, AttributeInt))
            .Message(5, new Proto().String(1, "epsilon").Float(2, epsilon).Int(20, AttributeFloat))
            .Message(5, new Proto().String(1, "stash_type").Int(3, 1).Int(20, AttributeInt));

        var graph = new Proto()
            .Message(1, node)                                                // GraphProto.node
            .String(2, "normgen_layernorm")                                  // GraphProto.name
            .Message(5, Tensor("Scale", gamma, type))                              // GraphProto.initializer
            .Message(5, Tensor("B", beta, type))
            .Message(11, ValueInfo("X", type, rows, hidden))                       // GraphProto.input
            .Message(12, ValueInfo("Y", type, rows, hidden));                      // GraphProto.output

        return new Proto()
            .Int(1, 8)                                                       // ModelProto.ir_version (IR 8 goes with opset 17)
            .String(2, "NormGen.Benchmarks")                                 // ModelProto.producer_name
            .Message(7, graph)                                               // ModelProto.graph
            .Message(8, new Proto().String(1, "").Int(2, 17))                // ModelProto.opset_import
            .ToArray();
    }

    private static Proto Tensor(string name, float[] values, int type)
    {
        int size = type == TensorFloat16 ? 2 : sizeof(float);
        var raw = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            if (type == TensorFloat16)
                System.Buffers.Binary.BinaryPrimitives.WriteHalfLittleEndian(raw.AsSpan(i * size), (Half)values[i]);
            else
                System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * size), values[i]);
        }
        return new Proto()
            .Int(1, values.Length)                                           // TensorProto.dims
            .Int(2, type)                                                    // TensorProto.data_type
            .String(8, name)                                                 // TensorProto.name
            .Bytes(9, raw);                                                  // TensorProto.raw_data
    }

    private static Proto ValueInfo(string name, int type, params long[] dims)
    {
        var shape = new Proto();
        foreach (long d in dims)
            shape.Message(1, new Proto().Int(1, d));                         // TensorShapeProto.dim { dim_value }
        var tensorType = new Proto().Int(1, type).Message(2, shape);         // TypeProto.Tensor { elem_type, shape }
        return new Proto()
            .String(1, name)                                                 // ValueInfoProto.name
            .Message(2, new Proto().Message(1, tensorType));                 // ValueInfoProto.type { tensor_type }
    }

    /// <summary>A minimal protobuf writer: varints, 32-bit floats and length-delimited fields.</summary>
    private sealed class Proto
    {
        private readonly MemoryStream _buffer = new();

        public Proto Int(int field, long value)
        {
            Tag(field, 0);
            Varint(unchecked((ulong)value));   // negative int64 is a 10-byte two's-complement varint
            return this;
        }

        public Proto Float(int field, float value)
        {
            Tag(field, 5);
            Span<byte> bytes = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            _buffer.Write(bytes);
            return this;
        }

        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Message(int field, Proto message) => Bytes(field, message.ToArray());

        public Proto Bytes(int field, byte[] value)
        {
            Tag(field, 2);
            Varint((ulong)value.Length);
            _buffer.Write(value);
            return this;
        }

        public byte[] ToArray() => _buffer.ToArray();

        private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _buffer.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _buffer.WriteByte((byte)value);
        }
    }
}
