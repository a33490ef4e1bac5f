using System;
using System.Linq;
using NormGen.Generator.Model;

namespace NormGen.Generator;

internal static partial class Emitter
{
    /// <summary>The non-temporal forms' stores around the cache and their prefetches.</summary>
    private sealed partial class PathEmitter
    {
        /// <summary>
        /// The non-temporal form's output stage: sum, then y (<paramref name="writeY"/> writes y's vector at an offset
        /// into locals with a suffix and returns its expression). Each is stored as whole vectors at the partition
        /// aligned to its own row, non-temporally, and the lanes before and after that partition are taken from the
        /// vectors at 0 and N − W with ordinary stores (those cache lines are shared with the neighbouring rows). Every
        /// element is the same vector arithmetic at any partition, so the results are bit-identical to the ordinary
        /// kernel's.
        /// </summary>
        private void EmitNonTemporalOutputs(Func<string, string, string> writeY)
        {
            _writer.WriteComment("sum and y as whole vectors at their rows' aligned partitions, non-temporally; the lanes "
                + "before and after with ordinary stores");
            EmitNonTemporalRow("sum", (at, suffix) => InputSum(at), prefetch: PrefetchWhileStoringSum);
            EmitNonTemporalRow("y", writeY, prefetch: false);
        }

        /// <summary>One output row of the non-temporal form. <paramref name="write"/> writes the value at an offset,
        /// with a suffix for its locals ("Aligned" in the loop, "First" and "Last" for the lanes around it), and returns
        /// the value's expression.</summary>
        private void EmitNonTemporalRow(string output, Func<string, string, string> write, bool prefetch)
        {
            string row = L(output + "Row"), start = L(output + "Start"), at = L(output + "At");
            string width = Int(_path.Width), last = Int(_hiddenSize - _path.Width);
            _writer.WriteLine($"nuint {start} = NonTemporalStores.Misalignment(ref {row}, {width});");
            _writer.WriteLine($"nuint {at} = {start};");
            _writer.OpenBlock($"for (; {at} <= {last}; {at} += {width})");
            if (prefetch)
                EmitPrefetchAhead(at);
            string aligned = Let(output + "Aligned", write(at, "Aligned"));
            _writer.WriteLine($"NonTemporalStores.Store({aligned}, ref {row}, {at});");
            _writer.CloseBlock();
            string first = Let(output + "First", write("0", "First"));
            _writer.WriteLine($"NonTemporalStores.StoreLanes({first}, ref {row}, 0, {start});");
            string final = Let(output + "Last", write(last, "Last"));
            _writer.WriteLine($"NonTemporalStores.StoreLanes({final}, ref Unsafe.Add(ref {row}, {last}), {at} - {last}, {width});");
        }

        /// <summary>Prefetches x and residual at <paramref name="at"/> in the row <see cref="Planner.PrefetchRowsAhead"/>
        /// ahead (past the last row it is a wasted hint); where, <see cref="PrefetchWhileStoringSum"/> says.</summary>
        private void EmitPrefetchAhead(string at)
        {
            string ahead = Int(Planner.PrefetchRowsAhead(_hiddenSize) * _hiddenSize);
            _writer.WriteLine($"NonTemporalStores.Prefetch(ref {L("xRow")}, {ahead} + {at});");
            _writer.WriteLine($"NonTemporalStores.Prefetch(ref {L("residualRow")}, {ahead} + {at});");
        }
    }
}
