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
            string outputs = _residual ? "sum and y" : "y";
            string partitions = _residual ? "their rows' aligned partitions" : "its row's aligned partition";
            _writer.WriteComment($"{outputs} as whole vectors at {partitions}, non-temporally; the lanes before and after "
                + "with ordinary stores");
            if (_residual)
                EmitNonTemporalRow("sum", (at, suffix) => new[] { (InputSum(at), "") }, prefetch: PrefetchWhileStoringSum);
            EmitNonTemporalRow("y", (at, suffix) => new[] { (writeY(at, suffix), "") }, prefetch: false);
        }

        /// <summary>
        /// One output row of a non-temporal form, stored at the partition aligned to that row. <paramref name="write"/>
        /// writes the values at an offset, with a suffix for its locals ("Aligned" in the loop, "First" and "Last" for
        /// the lanes around it), and returns them: the output's first (its row is this one's, so the callback leaves it
        /// empty), stored non-temporally in the loop, then any others with their rows (backward's dgamma and dbeta terms, which follow dx's partition with ordinary stores). Around the
        /// loop the lanes before and after the partition of every value are stored with ordinary stores.
        /// </summary>
        private void EmitNonTemporalRow(string output, Func<string, string, (string Value, string Row)[]> write, bool prefetch,
            bool prefetchGradient = false)
        {
            string row = L(output + "Row"), start = L(output + "Start"), at = L(output + "At");
            string width = Int(_path.Width), last = Int(_hiddenSize - _path.Width);
            _writer.WriteLine($"nuint {start} = NonTemporalStores.Misalignment(ref {row}, {width});");
            _writer.WriteLine($"nuint {at} = {start};");
            _writer.OpenBlock($"for (; {at} <= {last}; {at} += {width})");
            if (prefetch)
                EmitPrefetchAhead(at, prefetchGradient);
            (string Value, string Row)[] aligned = write(at, "Aligned");
            string value = Let(output + "Aligned", aligned[0].Value);
            _writer.WriteLine($"NonTemporalStores.Store({value}, ref {row}, {at});");
            foreach ((string other, string otherRow) in aligned.Skip(1))
                _writer.WriteList($"{_v.Static}.StoreUnsafe(", new[] { other, $"ref {otherRow}", at }, ");", onePerLine: false);
            _writer.CloseBlock();
            (string Value, string Row)[] first = write("0", "First");
            first[0] = (Let(output + "First", first[0].Value), row);
            foreach ((string lanes, string lanesRow) in first)
                _writer.WriteList("NonTemporalStores.StoreLanes(", new[] { lanes, $"ref {lanesRow}", "0", start }, ");", onePerLine: false);
            (string Value, string Row)[] final = write(last, "Last");
            final[0] = (Let(output + "Last", final[0].Value), row);
            foreach ((string lanes, string lanesRow) in final)
                _writer.WriteList("NonTemporalStores.StoreLanes(",
                    new[] { lanes, $"ref Unsafe.Add(ref {lanesRow}, {last})", $"{at} - {last}", width }, ");", onePerLine: false);
        }

        /// <summary>Prefetches x (and residual, or with <paramref name="gradient"/> dy) at <paramref name="at"/> in the
        /// row <see cref="Planner.PrefetchRowsAhead"/> ahead (past the last row it is a wasted hint); where in the forward,
        /// <see cref="PrefetchWhileStoringSum"/> says; the backward prefetches in its dx pass.</summary>
        private void EmitPrefetchAhead(string at, bool gradient = false)
        {
            string ahead = Int(Planner.PrefetchRowsAhead(_hiddenSize) * _hiddenSize);
            _writer.WriteLine($"NonTemporalStores.Prefetch(ref {L("xRow")}, {ahead} + {at});");
            if (_residual)
                _writer.WriteLine($"NonTemporalStores.Prefetch(ref {L("residualRow")}, {ahead} + {at});");
            if (gradient)
                _writer.WriteLine($"NonTemporalStores.Prefetch(ref {L("dyRow")}, {ahead} + {at});");
        }
    }
}
