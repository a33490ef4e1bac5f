using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace NormGen.CodeFixes;

/// <summary>
/// Rewrites one generic call into a call of a generated class: <c>LayerNorm.ForwardNoBias(x, gamma, y, 768)</c>
/// becomes <c>LayerNormNoBias768.Forward(x, gamma, y)</c>. The other arguments keep their text, names and comments;
/// a comment on a removed argument's separator moves to the argument before it.
/// </summary>
internal static class CallRewriter
{
    /// <param name="invocation">The call as it is.</param>
    /// <param name="removed">Indices of the arguments to drop: hiddenSize and epsilon, which the class has built in.</param>
    /// <param name="qualifiedClass">The class, fully qualified (<c>global::A.LayerNorm768</c>); simplified afterwards.</param>
    /// <param name="member">The class's member to call.</param>
    public static InvocationExpressionSyntax Rewrite(
        InvocationExpressionSyntax invocation, ISet<int> removed, string qualifiedClass, string member)
    {
        ExpressionSyntax receiver = SyntaxFactory.ParseExpression(qualifiedClass).WithAdditionalAnnotations(Simplifier.Annotation);
        ExpressionSyntax expression = invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access
                .WithExpression(receiver.WithTriviaFrom(access.Expression))
                .WithName(SyntaxFactory.IdentifierName(member).WithTriviaFrom(access.Name)),
            // Forward(...) under `using static NormGen.LayerNorm;`
            var other => SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName(member))
                .WithTriviaFrom(other),
        };
        return invocation
            .WithExpression(expression)
            .WithArgumentList(RemoveArguments(invocation.ArgumentList, removed));
    }

    private static ArgumentListSyntax RemoveArguments(ArgumentListSyntax list, ISet<int> removed)
    {
        SeparatedSyntaxList<ArgumentSyntax> arguments = list.Arguments;
        int[] kept = Enumerable.Range(0, arguments.Count).Where(i => !removed.Contains(i)).ToArray();
        SyntaxToken closeParen = list.CloseParenToken;
        var items = new List<SyntaxNodeOrToken>();
        var moveUp = new HashSet<int>();
        for (int j = 0; j < kept.Length; j++)
        {
            int i = kept[j];
            ArgumentSyntax argument = arguments[i];
            if (moveUp.Contains(i))
                argument = argument.WithLeadingTrivia(argument.GetLeadingTrivia().SkipWhile(IsLayout));
            if (j < kept.Length - 1)
            {
                // Between two kept arguments, the separator right after the first: its trailing trivia (a comment at
                // the end of that argument's line) stays where it was.
                SyntaxToken separator = arguments.GetSeparator(i);
                items.Add(argument);
                items.Add(separator);
                int next = kept[j + 1];
                if (next != i + 1 && !EndsWithNewLine(separator.TrailingTrivia))
                {
                    // Arguments were removed between them on this line: the next kept one moves up to follow the
                    // separator (its own indentation would leave a gap where the removed ones were).
                    moveUp.Add(next);
                }
                continue;
            }

            if (i < arguments.SeparatorCount)
            {
                // Removed arguments follow the last kept one: its separator goes, an end-of-line comment on it stays.
                SyntaxTriviaList trivia = arguments.GetSeparator(i).TrailingTrivia;
                if (trivia.Any(SyntaxKind.SingleLineCommentTrivia))
                {
                    argument = argument.WithTrailingTrivia(argument.GetTrailingTrivia().AddRange(trivia));
                    // The comment ends the line, so ')' starts the next one, indented as the argument it follows was.
                    closeParen = closeParen.WithLeadingTrivia(
                        arguments[i + 1].GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
                }
            }
            items.Add(argument);
        }
        return list
            .WithArguments(SyntaxFactory.SeparatedList<ArgumentSyntax>(items))
            .WithCloseParenToken(closeParen);
    }

    private static bool IsLayout(SyntaxTrivia trivia) =>
        trivia.IsKind(SyntaxKind.WhitespaceTrivia) || trivia.IsKind(SyntaxKind.EndOfLineTrivia);

    private static bool EndsWithNewLine(SyntaxTriviaList trivia) =>
        trivia.Count > 0 && trivia[trivia.Count - 1].IsKind(SyntaxKind.EndOfLineTrivia);
}
